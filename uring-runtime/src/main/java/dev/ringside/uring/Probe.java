package dev.ringside.uring;
public class Probe { public static int version() { return Runtime.version().feature(); } }
