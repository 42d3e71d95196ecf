"""The life of a match: one volunteer put forward for one need, from proposal to outcome.

Start here to follow a match. The modules are services (they check who may, and commit),
except `pages.py`, which holds view helpers for the match page volunteers and charities share.

    state.py     the state machine: labels, and `move()`, the one safe way to change state
    actions.py   what people do: propose, approve, reject, withdraw, reply, report the outcome
    emails.py    who is emailed at each step, and what the email carries
    links.py     the signed one-click links in those emails (accept, decline, outcome)
    replies.py   opening (GET: look) and using (POST: act) one of those links
    schedule.py  the clock: reminders, expiry at the deadline, the outcome question
    pages.py     the side's match page and its buttons (volunteer and charity blueprints)

Which moves are legal is the model's own table (`MOVES` in models/match.py), so pages
can ask a match `can_be_withdrawn` without repeating it.

Staff approve a match, in order:
    1. staff/match_views.py  `match_action`: the Approve button's POST, calls the service
    2. actions.py            `approve_match`: staff only, the volunteer's live-match cap,
                             the need still open; then `state.move()` to approved and to
                             awaiting_replies (conditional UPDATEs, each with a history line)
    3. emails.py             `send_proposal`: one email per person on both sides, each with
                             their own accept / decline links (links.py); `approve_match` commits
    4. email/outbox.py       `queue_email`: renders the templates into an outbox row, in the
                             same transaction as the move (a rollback sends nothing)
    5. email/worker.py       `deliver_due`: a worker process claims due rows and sends them
    6. email/sendgrid_backend.py  the SendGrid API call (the local mailbox in development)
"""
