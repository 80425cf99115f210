from competency.cli import main

main(prog_name="competency")
