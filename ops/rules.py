"""Who may do what in ops: nobody through the app.

Backup and restore are management commands (`manage.py backup`, `manage.py restore`),
run by the server's operators with shell access to the machine and the database's
credentials; no URL, view or API endpoint reaches them, so there is no user rule to
register here. `ops/tests/test_backup_restore.py::test_no_url_reaches_ops` keeps it so.
"""
