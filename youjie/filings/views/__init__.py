"""The filings pages, by subject: the staff's queues and counter form (``queues``), the filing
page and its actions (``detail``), the public filing and supplement pages (``public``)."""
