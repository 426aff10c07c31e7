"""The learned transliteration scorer: its alphabets, model, training and parameter file."""
