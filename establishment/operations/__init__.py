"""Operations: functions over records that return data (changes, diffs, comparisons,
projections, budgets, staff in post, checks, explanations). They render nothing; the tables
package does."""
