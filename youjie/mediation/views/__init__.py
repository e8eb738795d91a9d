"""The mediation pages (诉前调解), one module per subject: ``lists`` (the mediator's and the
court's lists), ``detail`` (the mediation page and its actions), ``delegate`` (委派调解 from a
filing). ``urls.py`` imports the modules."""
