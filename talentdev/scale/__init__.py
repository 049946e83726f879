"""A generated company at the scale of a large employer, for measuring the product.

`build(scale=1.0)` writes, with PostgreSQL's COPY, 51,000 people in a reporting tree, 102
programs (four of 5,000 learners, a long tail of small ones), 79,000 enrolments with two
years of history, about a million observations with their feedback windows, 760,000
feedback, a million measurements and 470,000 assessments; every size scales with `scale`.
Each row is one the product's services and progression could have written (`histories`
says how); the same `seed` builds the same company.
"""
