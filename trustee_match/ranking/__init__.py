"""The app's use of the ranker (`matching/`, a plain library that knows nothing of the app).

records.py      database rows as the ranker's plain records, and the skill vocabulary
proposals.py    "Ask the ranker": refreshes the capped proposals of open needs, for staff
proposal_plan.py  what a refresh should hold: who is left out, each volunteer's room, the
                capped choice
runs.py         ranker runs: the button (or the tick) queues one, one at a time
run_worker.py   a worker process claims a run (with a lease), does it, records how it ended
suggestions.py  the open roles that suit one volunteer, for their dashboard
learning.py     decisions propose new weights (`RankerWeights` versions, models/
                ranker_weights.py), and how its proposals fare month by month
safeguards.py   what a version must pass to be approved: enough decisions, beats the live
                weights on held-back roles, a floor on required skills, place and hours
preview.py      what a proposed version would change: weights side by side, top fives
versions.py     approve, set aside, roll back (the only moves that change the live weights)
"""
