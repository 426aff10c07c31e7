"""The domain core: plain Python over the workspace database. Never imports textual."""
