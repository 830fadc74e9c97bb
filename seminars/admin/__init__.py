"""The back office: the admins of the record (editions.py, imported by SeminarAdminConfig
once the site exists), the site and its dashboard, forms, the editorial views. It asks
seminars.record and never decides a rule itself."""
