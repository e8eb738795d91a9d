"""The petitions pages (信访化解), one module per subject: ``matters`` (list, export, registration,
the matter page and its actions), ``campaigns``, ``home`` (each role's work page, the liaison's
page). ``urls.py`` imports the modules; P2 and P3 add their own modules here (work records,
coordination and aid; letters, meetings and bulletins) and their lines in ``urls.py``."""
