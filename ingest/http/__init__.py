"""HTTP: the API, the pages and the outer wall, on top of every other room.

`app` builds the FastAPI application; `routes/` holds one module per resource; `deps` turns
requests into sessions and principals; `params` and `schemas` state what goes in and out;
`guard` is the outer wall (body limits, token before body, security headers); `web/` holds
the public site and the planners' console. Nothing below imports from here.
"""
