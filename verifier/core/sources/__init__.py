"""Source documents: registering them, and checking that a local copy is still the recorded file."""
