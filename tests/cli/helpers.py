"""Small pathway files shared by the command-line tests."""

#: A pathway with no findings; `NAME` is replaced by the id its file name gives.
CLEAN = """\
id: NAME
title: Clean
area: Testshire
version: "1"
entry: start
agencies:
  council: {name: Testshire Council}
stages:
  start: {title: Start, owner: council, kind: identification}
  done: {title: Done, owner: council, kind: outcome, outcome: supported}
handoffs:
  close: {from: start, to: done, by: [council]}
"""
