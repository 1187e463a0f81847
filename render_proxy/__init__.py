"""The Render proxy: a small page that streams Plumberforce answers from the Space over WebSocket.

It talks to the Space only through its public named endpoints (``/chat``, ``/history``,
``/reset``, ``/feedback``); it never imports the ``plumberforce`` package.
"""

__version__ = "0.1.0"
