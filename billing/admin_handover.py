"""Admin of maintenance schedules, customer accounts and warranty claims."""
