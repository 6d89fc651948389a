import Commands
CairnCommand.main()
