"""firmware_bridge: the gateway program that turns vendor sensor messages into hub events.

A separate program from `hub`: the two share only the MQTT contract (CONTRACT.md section 6).
"""

__version__ = "0.1.0"
