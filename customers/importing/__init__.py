"""Import and export of customers and vehicles (CSV and XLSX) for a dealership leaving its old DMS."""
