"""The command line: argparse and one module per command group; the only printers."""
