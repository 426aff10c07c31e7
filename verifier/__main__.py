from verifier.cli.app import main

main()
