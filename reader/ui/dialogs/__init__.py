"""The modal screens: why a sentence is linked, help, choosing panes, exporting, and a
yes/no question; dialogs fold to borderless fields on short terminals."""
