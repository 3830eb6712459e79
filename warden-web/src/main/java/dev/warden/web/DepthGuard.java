package dev.warden.web;

import org.commonmark.node.Code;
import org.commonmark.node.HardLineBreak;
import org.commonmark.node.HtmlBlock;
import org.commonmark.node.HtmlInline;
import org.commonmark.node.Node;
import org.commonmark.node.SoftLineBreak;
import org.commonmark.node.Text;
import org.commonmark.parser.PostProcessor;

import java.util.ArrayDeque;

/**
 * Flattens a Markdown tree past a depth into plain text, walking it without recursion: the renderer
 * and the autolink extension walk recursively, so a README nested 100,000 deep must not reach them
 * as it is.
 */
final class DepthGuard implements PostProcessor {

    private final int maxDepth;

    DepthGuard(int maxDepth) {
        this.maxDepth = maxDepth;
    }

    private record Visit(Node node, int depth) {}

    @Override
    public Node process(Node document) {
        var pending = new ArrayDeque<Visit>();
        pending.push(new Visit(document, 0));
        while (!pending.isEmpty()) {
            Visit visit = pending.pop();
            for (Node child = visit.node.getFirstChild(); child != null; ) {
                Node next = child.getNext();
                if (visit.depth + 1 >= maxDepth && child.getFirstChild() != null) {
                    var text = new Text(text(child));
                    child.insertBefore(text);
                    child.unlink();
                } else {
                    pending.push(new Visit(child, visit.depth + 1));
                }
                child = next;
            }
        }
        return document;
    }

    /** The literal text under {@code node}, in order, without recursion. */
    private static String text(Node node) {
        var out = new StringBuilder();
        var pending = new ArrayDeque<Node>();
        pending.push(node);
        while (!pending.isEmpty()) {
            Node current = pending.pop();
            switch (current) {
                case Text t -> out.append(t.getLiteral());
                case Code c -> out.append(c.getLiteral());
                case HtmlInline h -> out.append(h.getLiteral());
                case HtmlBlock h -> out.append(h.getLiteral());
                case SoftLineBreak s -> out.append('\n');
                case HardLineBreak h -> out.append('\n');
                default -> {}
            }
            // Children pushed last first, so they pop in order.
            for (Node child = current.getLastChild(); child != null; child = child.getPrevious()) {
                pending.push(child);
            }
        }
        return out.toString();
    }
}
