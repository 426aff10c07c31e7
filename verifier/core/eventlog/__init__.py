"""The review log: appending events to its hash chain, and the hash each event carries."""
