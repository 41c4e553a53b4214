"""Receive: clips arriving from booths over MQTT.

The receiver (`receiver`) turns broker messages into `InboundClip`s at the edge; intake
(`intake`) checks each one against the wire protocol, stores audio and row durably in group
commits and acks; `ogg` reads an Ogg Opus stream's length without decoding it.
"""
