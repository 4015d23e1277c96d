package dev.ringside.uring.http;

/**
 * Counters of one loop's HTTP server. Written only by the loop thread; read through
 * {@link dev.ringside.uring.server.HttpServer#stats()}, which copies them on the loop.
 */
public final class HttpServerStats {
    public long accepted;
    public long refused;
    public long closed;
    public long requests;
    public long fileResponses;
    public long parseErrors;
    public long headerTimeouts;
    public long idleTimeouts;
    /** Connections closed because the client took no byte of an answer for the send timeout. */
    public long sendTimeouts;
    public long acceptErrors;
    public long recvStarved;
    public long inputOverflow;
    public long poolExhausted;
    public long deferred;
    public long sends;
    public long bodyBytesDropped;
    public long partialSends;
    public long fileErrors;
    public long staleCompletions;
    public long bytesReceived;
    public long bytesSent;
    /** Requests handed to a worker thread (a container's pipeline). */
    public long offloaded;
    /** Requests whose handler threw (each cost its connection). */
    public long handlerFailures;
    /** Connections handed to a backend (an upgrade), and those whose backend could not be reached (502/504). */
    public long tunnelsOpened;
    public long tunnelsFailed;
    /** Bytes relayed by tunnels, both ways. */
    public long tunnelBytes;
    /** Pieces of work handed to the file threads (a file not yet open, a re-check, a router's verdict). */
    public long offLoopWork;
    /** Requests that waited for such work instead of being answered at once. */
    public long offLoopWaits;
    public int connectionsOpen;
    public int inputChunksInUse;
    public int headChunksInUse;
    public int recvBuffersOutstanding;
    public int pipesInUse;
    /** Pipes created and kept for reuse (two descriptors each): pooled, not leaked. */
    public int pipesPooled;
    public int parsersInUse;
    /** Files the handler keeps open (its cache): one descriptor each. */
    public int openFiles;
    /** Offloaded exchanges not yet back in their loop's pool. */
    public int offloadsInUse;
    /** Tunnels not yet closed (each holds two input chunks and a backend descriptor). */
    public int tunnelsActive;

    public HttpServerStats copy() {
        HttpServerStats s = new HttpServerStats();
        s.add(this);
        return s;
    }

    public void add(HttpServerStats o) {
        accepted += o.accepted;
        refused += o.refused;
        closed += o.closed;
        requests += o.requests;
        fileResponses += o.fileResponses;
        parseErrors += o.parseErrors;
        headerTimeouts += o.headerTimeouts;
        idleTimeouts += o.idleTimeouts;
        sendTimeouts += o.sendTimeouts;
        acceptErrors += o.acceptErrors;
        recvStarved += o.recvStarved;
        inputOverflow += o.inputOverflow;
        poolExhausted += o.poolExhausted;
        deferred += o.deferred;
        sends += o.sends;
        bodyBytesDropped += o.bodyBytesDropped;
        partialSends += o.partialSends;
        fileErrors += o.fileErrors;
        staleCompletions += o.staleCompletions;
        bytesReceived += o.bytesReceived;
        bytesSent += o.bytesSent;
        offloaded += o.offloaded;
        handlerFailures += o.handlerFailures;
        offLoopWork += o.offLoopWork;
        offLoopWaits += o.offLoopWaits;
        tunnelsOpened += o.tunnelsOpened;
        tunnelsFailed += o.tunnelsFailed;
        tunnelBytes += o.tunnelBytes;
        connectionsOpen += o.connectionsOpen;
        inputChunksInUse += o.inputChunksInUse;
        headChunksInUse += o.headChunksInUse;
        recvBuffersOutstanding += o.recvBuffersOutstanding;
        pipesInUse += o.pipesInUse;
        pipesPooled += o.pipesPooled;
        parsersInUse += o.parsersInUse;
        openFiles += o.openFiles;
        offloadsInUse += o.offloadsInUse;
        tunnelsActive += o.tunnelsActive;
    }

    /** Everything a finished connection could hold is back: the leak check. */
    public boolean nothingHeld() {
        return connectionsOpen == 0 && inputChunksInUse == 0 && headChunksInUse == 0
                && recvBuffersOutstanding == 0 && pipesInUse == 0 && parsersInUse == 0 && offloadsInUse == 0
                && tunnelsActive == 0;
    }

    @Override
    public String toString() {
        return "accepted=" + accepted + " refused=" + refused + " closed=" + closed + " requests=" + requests
                + " parseErrors=" + parseErrors + " open=" + connectionsOpen + " inputChunks=" + inputChunksInUse
                + " headChunks=" + headChunksInUse + " recvBuffers=" + recvBuffersOutstanding + " pipes=" + pipesInUse + " pipesPooled=" + pipesPooled + " parsers=" + parsersInUse + " openFiles=" + openFiles + " offloads=" + offloadsInUse
                + " stale=" + staleCompletions + " starved=" + recvStarved + " poolExhausted=" + poolExhausted + " deferred=" + deferred + " sends=" + sends + " partialSends=" + partialSends
                + " bytesSent=" + bytesSent + " offloaded=" + offloaded + " handlerFailures=" + handlerFailures + " tunnelsOpened=" + tunnelsOpened
                + " tunnelsActive=" + tunnelsActive + " tunnelsFailed=" + tunnelsFailed + " tunnelBytes=" + tunnelBytes
                + " sendTimeouts=" + sendTimeouts + " offLoopWork=" + offLoopWork + " offLoopWaits=" + offLoopWaits;
    }
}
