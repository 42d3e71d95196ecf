"""The app's use of the ranker (`matching/`, a plain library that knows nothing of the app).

records.py      database rows as the ranker's plain records, and the skill vocabulary
proposals.py    "Ask the ranker": refreshes the capped proposals of open needs, for staff
proposal_plan.py  what a refresh should hold: who is left out, each volunteer's room, the
                capped choice
runs.py         ranker runs: the button (or the tick) queues one, one at a time
run_worker.py   a worker process claims a run (with a lease), does it, records how it ended
suggestions.py  the open roles that suit one volunteer, for their dashboard
learning.py     decisions re-weight the ranker (`RankerWeights` versions, models/
                ranker_weights.py), and how its proposals fare month by month
"""
