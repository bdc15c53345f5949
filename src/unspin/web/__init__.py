"""The local web app (``unspin serve``): pages and a JSON API over the library.

Needs the ``web`` extra (``pip install 'unspin[web]'``); :func:`create_app` is imported from
:mod:`unspin.web.app` so importing this package alone costs nothing.
"""
