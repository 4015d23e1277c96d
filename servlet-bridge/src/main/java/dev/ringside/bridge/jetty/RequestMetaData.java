package dev.ringside.bridge.jetty;

import dev.ringside.uring.http.RequestHead;
import org.eclipse.jetty.http.HostPortHttpField;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpScheme;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.MetaData;
import org.eclipse.jetty.server.ConnectionMetaData;
import org.eclipse.jetty.util.HostPort;
import org.eclipse.jetty.util.StringUtil;

import java.nio.charset.StandardCharsets;

/**
 * Jetty's {@link MetaData.Request} from a head Ringside's parser has already checked (RFC 9112's
 * strict rules, limits): method, URI made absolute the way Jetty's HTTP/1.1 connection makes it
 * (scheme http, authority from Host or else the server's), header fields, content length.
 * Header names Jetty knows are matched to its {@link HttpHeader} constants without making a
 * String of the name.
 */
final class RequestMetaData {
    private RequestMetaData() {
    }

    static MetaData.Request of(RequestHead head, ConnectionMetaData connection) {
        byte[] b = head.bytes();
        String method = method(head);
        HttpFields.Mutable fields = HttpFields.build(head.headerCount());
        HostPortHttpField host = null;
        for (int i = 0; i < head.headerCount(); i++) {
            int ns = head.headerNameStart(i);
            int nl = head.headerNameEnd(i) - ns;
            int vs = head.headerValueStart(i);
            String value = new String(b, vs, head.headerValueEnd(i) - vs, StandardCharsets.ISO_8859_1);
            HttpHeader header = HttpHeader.CACHE.getBest(b, ns, nl);
            if (header != null && header.asString().length() != nl) {
                header = null; // a longer name that merely starts like a known one
            }
            String name = header != null ? header.asString() : new String(b, ns, nl, StandardCharsets.ISO_8859_1);
            HttpField field;
            if (header == HttpHeader.HOST) {
                // Jetty reads the authority from a HostPortHttpField; a malformed one is a 400.
                try {
                    field = host = new HostPortHttpField(header, name, new HostPort(value));
                } catch (IllegalArgumentException e) {
                    throw new HttpException.RuntimeException(HttpStatus.BAD_REQUEST_400, "Bad Host header");
                }
            } else {
                field = new HttpField(header, name, value);
            }
            fields.add(field);
        }

        String target = new String(b, head.targetStart(), head.targetEnd() - head.targetStart(), StandardCharsets.UTF_8);
        HttpURI.Mutable uri = HttpURI.build(method, target);
        if (!uri.isAbsolute()) {
            if (host != null && StringUtil.isBlank(host.getHostPort().getHost())) {
                throw new HttpException.RuntimeException(HttpStatus.BAD_REQUEST_400, "Blank Host");
            }
            uri.scheme(HttpScheme.HTTP);
        }
        if (uri.getAuthority() == null && !HttpMethod.CONNECT.is(method)) {
            HostPort authority = host != null ? host.getHostPort() : connection.getServerAuthority();
            int port = authority.getPort();
            uri.authority(authority.getHost(), port == 80 ? -1 : port);
        }
        if (uri.getPath() == null) {
            uri.path("/");
        }
        return new MetaData.Request(head.startNanos(), method, uri.asImmutable(), connection.getHttpVersion(),
                fields.asImmutable(), head.contentLength()); // -1 when chunked or absent, as Jetty's parser says
    }

    /** The common methods as Jetty's interned constants; others as sent. */
    private static String method(RequestHead head) {
        return switch (head.method()) {
            case GET -> HttpMethod.GET.asString();
            case HEAD -> HttpMethod.HEAD.asString();
            case POST -> HttpMethod.POST.asString();
            case PUT -> HttpMethod.PUT.asString();
            case DELETE -> HttpMethod.DELETE.asString();
            case OPTIONS -> HttpMethod.OPTIONS.asString();
            case PATCH -> HttpMethod.PATCH.asString();
            case TRACE -> HttpMethod.TRACE.asString();
            case CONNECT -> HttpMethod.CONNECT.asString();
            case OTHER -> head.string(head.methodStart(), head.methodEnd());
        };
    }
}
