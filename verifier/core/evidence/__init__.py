"""Source documents in the workspace: storing them, their text, locators, reading them."""
