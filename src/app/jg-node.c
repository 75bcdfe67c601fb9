/* jg-node.c — placeholder until the canvas lands. */
