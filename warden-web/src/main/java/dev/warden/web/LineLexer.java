package dev.warden.web;

import dev.warden.web.Highlight.Token;

import java.util.List;

/** Tokens of one line after another; an instance keeps what spans lines, so one per text. */
interface LineLexer {

    List<Token> line(String line);
}
