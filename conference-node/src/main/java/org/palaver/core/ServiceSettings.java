package org.palaver.core;

import java.util.List;
import java.util.Objects;
import org.palaver.xml.Element;

/**
 * Everything the protocol core needs to know about the service, already validated by the shell's
 * configuration loader. Immutable.
 *
 * @param domain           the service's own domain, e.g. {@code conference.example.org}
 * @param publicService    public service: predefined rooms loaded, browse lists all rooms (§5.5)
 * @param historySize      messages kept per room for replay; 0 turns history off (§11.2)
 * @param historyBytes     most bytes (UTF-8 XML of the stored messages) a room's history holds
 * @param joinNotice       text appended to the nick for join notices, {@code null} = none (§11.3)
 * @param leaveNotice      text appended to the nick for leave notices, {@code null} = none
 * @param renameNotice     text between old and new nick for rename notices, {@code null} = none
 * @param dynamicRooms     whether available presence may create rooms (§5.1, 405 when not)
 * @param serviceName      the service's browse/disco name (vCard FN)
 * @param vcard            the service vCard's children, wrapped in a {@code vCard} element; may be empty
 * @param rooms            predefined rooms (used only on a public service)
 * @param maxNickLength    longest nick accepted, in characters
 * @param maxParticipants  most entered participants per room (0 = unlimited)
 * @param versionName      {@code jabber:iq:version} name
 * @param version          {@code jabber:iq:version} version
 * @param os               {@code jabber:iq:version} os
 * @param limits       stanzas per second per sender and per room ({@link Limits})
 */
public record ServiceSettings(
        String domain,
        boolean publicService,
        int historySize,
        int historyBytes,
        String joinNotice,
        String leaveNotice,
        String renameNotice,
        boolean dynamicRooms,
        String serviceName,
        Element vcard,
        List<PredefinedRoom> rooms,
        int maxNickLength,
        int maxParticipants,
        String versionName,
        String version,
        String os,
        Limits limits) {

    public ServiceSettings {
        Objects.requireNonNull(domain, "domain");
        rooms = List.copyOf(rooms);
        Objects.requireNonNull(limits, "limits");
        if (historySize < 0 || historyBytes < 1 || maxNickLength < 1 || maxParticipants < 0) {
            throw new IllegalArgumentException(
                    "need historySize >= 0, historyBytes >= 1, maxNickLength >= 1, maxParticipants >= 0");
        }
    }

    /** Default of {@link #historyBytes}: 64 KiB of stored messages per room. */
    public static final int DEFAULT_HISTORY_BYTES = 65_536;

    /** The defaults of spec §18: public, history 10, the three classic notices. */
    public static ServiceSettings defaults(String domain) {
        return new ServiceSettings(domain, true, 10, DEFAULT_HISTORY_BYTES, " has become available", " has left",
                " is now known as ", true, "Public Chatrooms", new Element("vCard", "vcard-temp"),
                List.of(), 64, 0, "palaver", "0.1", System.getProperty("os.name", "unknown"),
                Limits.defaults());
    }

    public ServiceSettings withPublicService(boolean isPublic) {
        return new ServiceSettings(domain, isPublic, historySize, historyBytes, joinNotice, leaveNotice, renameNotice,
                dynamicRooms, serviceName, vcard, rooms, maxNickLength, maxParticipants, versionName, version, os, limits);
    }

    public ServiceSettings withHistorySize(int size) {
        return new ServiceSettings(domain, publicService, size, historyBytes, joinNotice, leaveNotice, renameNotice,
                dynamicRooms, serviceName, vcard, rooms, maxNickLength, maxParticipants, versionName, version, os, limits);
    }

    public ServiceSettings withDynamicRooms(boolean allowed) {
        return new ServiceSettings(domain, publicService, historySize, historyBytes, joinNotice, leaveNotice, renameNotice,
                allowed, serviceName, vcard, rooms, maxNickLength, maxParticipants, versionName, version, os, limits);
    }

    /** Service name and vCard (the vCard's children are served; {@code FN} is the usual name). */
    public ServiceSettings withIdentity(String name, Element vCard) {
        return new ServiceSettings(domain, publicService, historySize, historyBytes, joinNotice, leaveNotice, renameNotice,
                dynamicRooms, name, vCard, rooms, maxNickLength, maxParticipants, versionName, version, os, limits);
    }

    public ServiceSettings withRooms(List<PredefinedRoom> predefined) {
        return new ServiceSettings(domain, publicService, historySize, historyBytes, joinNotice, leaveNotice, renameNotice,
                dynamicRooms, serviceName, vcard, predefined, maxNickLength, maxParticipants, versionName, version, os, limits);
    }

    public ServiceSettings withLimits(int nickLength, int participants) {
        return new ServiceSettings(domain, publicService, historySize, historyBytes, joinNotice, leaveNotice, renameNotice,
                dynamicRooms, serviceName, vcard, rooms, nickLength, participants, versionName, version, os, limits);
    }

    public ServiceSettings withDomain(String newDomain) {
        return new ServiceSettings(newDomain, publicService, historySize, historyBytes, joinNotice, leaveNotice, renameNotice,
                dynamicRooms, serviceName, vcard, rooms, maxNickLength, maxParticipants, versionName, version, os, limits);
    }

    public ServiceSettings withVersion(String name, String ver, String operatingSystem) {
        return new ServiceSettings(domain, publicService, historySize, historyBytes, joinNotice, leaveNotice, renameNotice,
                dynamicRooms, serviceName, vcard, rooms, maxNickLength, maxParticipants, name, ver, operatingSystem, limits);
    }

    public ServiceSettings withLimits(Limits limits) {
        return new ServiceSettings(domain, publicService, historySize, historyBytes, joinNotice, leaveNotice, renameNotice,
                dynamicRooms, serviceName, vcard, rooms, maxNickLength, maxParticipants, versionName, version, os,
                limits);
    }

    /**
     * A room configured in the service file: exists from start-up, owned by "predefined", never
     * destroyed (§5.2). Notice texts override the service's; {@code null} means "use the service's".
     */
    public record PredefinedRoom(String node, String name, String secret, boolean privacy,
                                 String joinNotice, String leaveNotice, String renameNotice) {
        public PredefinedRoom {
            Objects.requireNonNull(node, "node");
        }
    }
}
