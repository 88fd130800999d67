"""Sites, floors and zones, resources, and which organisation kinds may book which kinds."""
