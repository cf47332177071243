"""The citizens' web pages: thin views over the catalogue selectors and the dossier services."""
