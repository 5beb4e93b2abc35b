"""Public postal service (bưu chính công ích): dossiers picked up and results delivered by post."""
