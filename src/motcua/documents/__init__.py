"""The official one-stop forms (Circular 01/2018-VPCP, forms 01–06) as PDF and XLSX, with QR codes."""
