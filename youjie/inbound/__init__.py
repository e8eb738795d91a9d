"""Adapters into the desk (DESIGN flows 1 and 3).

- ``POST /api/v1/inbound/calls`` (api.py): the phone system's call events; a missed call becomes
  a callback request, every inbound call pops up on the line owner's screen.
- ``ws/desk/calls/`` (consumers.py, routing.py): the staff screen-pop socket;
  static/inbound/screenpop.js and templates/inbound/screenpop_include.html show it on any page.
- ``/inbound/wechat/`` (views.py, wechat.py): the WeChat official account's callback; a text
  becomes a request and the sender gets its number back in the passive reply.
"""
