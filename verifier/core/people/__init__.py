"""People and access: who is acting, the reviewers of a workspace, and what each role may do."""
