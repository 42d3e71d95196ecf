"""gunicorn reads this from the working directory: `gunicorn wsgi:app` (add -b, -w as needed).

Access lines go to stdout with UTC times; emailed-link tokens and query strings are redacted
(trustee_match/logs.py), because those URLs are as good as a password for a while.
"""

logger_class = "trustee_match.logs.GunicornLogger"
accesslog = "-"
access_log_format = '%(h)s %(t)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
