package org.palaver.e2e;

import org.jivesoftware.smack.packet.IQ;

/** An iq request whose payload is given as literal XML (for protocols Smack has no classes for). */
final class RawIq extends IQ {
    private final String innerXml;

    RawIq(String element, String namespace, String innerXml) {
        super(element, namespace);
        this.innerXml = innerXml;
    }

    @Override
    protected IQChildElementXmlStringBuilder getIQChildElementBuilder(IQChildElementXmlStringBuilder xml) {
        if (innerXml.isEmpty()) {
            xml.setEmptyElement();
        } else {
            xml.rightAngleBracket();
            xml.append(innerXml);
        }
        return xml;
    }
}
