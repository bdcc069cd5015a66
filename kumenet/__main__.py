from kumenet.cli import main

main()
