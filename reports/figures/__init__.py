"""The numbers of DESIGN.md §6, one module per section of the monthly report. Each function takes the
sites and a Period and runs a fixed number of aggregate queries, whatever the size of the period."""
