"""The JMDC catalogue: stars, measurements, releases and their exports."""
