"""Emailed links that are not about a match: "still recruiting?", colleague invitations, alert
unsubscribes. They work logged out; a GET only shows a page, its button does the POST."""
