"""Fleet: the booths as ingest sees them.

`booths` tracks their live status and the config each should run; `broker_admin` manages
their broker logins (mosquitto's dynamic security); `provisioning` writes a new booth's bundle.
"""
