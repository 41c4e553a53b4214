"""Publish: what citizens see, derived from approved, redacted messages only.

`aggregates` keeps the public week and word counts in step with the clips (attached to the
service's sessions by whoever composes it); `charts` draws them.
"""
