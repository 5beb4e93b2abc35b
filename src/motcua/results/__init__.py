"""Electronic results: signed result documents, their versions, verification and online delivery."""
