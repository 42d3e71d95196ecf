"""The app's use of the ranker (`matching/`, a plain library that knows nothing of the app).

records.py      database rows as the ranker's plain records, and the skill vocabulary
proposals.py    "Ask the ranker": capped proposals for every open need, stored for staff
suggestions.py  the open roles that suit one volunteer, for their dashboard
learning.py     decisions re-weight the ranker (`RankerWeights` versions, models/
                ranker_weights.py), and how its proposals fare month by month
"""
