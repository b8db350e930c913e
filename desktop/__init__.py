"""Qadam's window: Qt only. Calls db/ and reports/ for everything else."""
