"""gunicorn's settings, shared by ``run_embedded`` and production
(``gunicorn -c python:egov.gunicorn_conf egov.wsgi:application``).

The access log names the method and the path, never the query string nor the Referer: a
query string can carry what must not be written to disk (a tracking key, a search for a
person's name), and a Referer repeats the previous page's query string (review L8). The
product puts no personal data in paths; what a page needs that is personal travels in a
POST body. Everything else (address, time, status, size, duration) stays for operations.
"""

accesslog = "-"
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms "%(a)s"'
