"""The model: records that are only data (posts, payments, structures, assignments, the pay
basis, funding shares) and the values they are made of (money, rates, numbers read as text,
grades, the closed vocabularies). Nothing here costs anything or touches a file."""
