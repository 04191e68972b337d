// Reads a glossary file with OmegaT's own glossary readers (org.omegat.gui.glossary, from the Debian package
// omegat) and prints each entry OmegaT would show, one per line: source <TAB> target <TAB> comment.
// Run: java -cp /usr/share/omegat/OmegaT.jar tests/tools/OmegaTGlossary.java FILE
// The reader is chosen by extension, as OmegaT's GlossaryManager does: .tbx, .csv, else tab-separated.
// The TBX reader takes the project's source and target languages; a stand-in project (zh -> en) gives them.
import java.io.File;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.util.List;
import org.omegat.core.Core;
import org.omegat.core.data.IProject;
import org.omegat.core.data.ProjectProperties;
import org.omegat.gui.glossary.GlossaryEntry;
import org.omegat.gui.glossary.GlossaryReaderCSV;
import org.omegat.gui.glossary.GlossaryReaderTBX;
import org.omegat.gui.glossary.GlossaryReaderTSV;

public class OmegaTGlossary {
    public static void main(String[] args) throws Exception {
        File file = new File(args[0]);
        ProjectProperties properties = new ProjectProperties(Files.createTempDirectory("omegat").toFile());
        properties.setSourceLanguage("zh-CN");
        properties.setTargetLanguage("en-US");
        Core.setProject((IProject) Proxy.newProxyInstance(IProject.class.getClassLoader(),
                new Class<?>[] {IProject.class},
                (proxy, method, arguments) -> method.getName().equals("getProjectProperties") ? properties : null));
        String name = file.getName().toLowerCase();
        List<GlossaryEntry> entries;
        if (name.endsWith(".tbx")) {
            entries = GlossaryReaderTBX.read(file, false);
        } else if (name.endsWith(".csv")) {
            entries = GlossaryReaderCSV.read(file, false);
        } else {
            entries = GlossaryReaderTSV.read(file, false);
        }
        StringBuilder out = new StringBuilder();
        for (GlossaryEntry entry : entries) {
            out.append(escape(entry.getSrcText())).append('\t')
               .append(escape(entry.getLocText())).append('\t')
               .append(escape(entry.getCommentText())).append('\n');
        }
        System.out.print(out);
        System.err.println(entries.size() + " entries");
    }

    private static String escape(String text) {
        return text == null ? "" : text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n");
    }
}
