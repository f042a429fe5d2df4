package org.transformer4j.cli.pages;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import freemarker.template.Configuration;
import freemarker.template.TemplateException;
import freemarker.template.TemplateExceptionHandler;

/**
 * Renders the self-contained pages of {@code t4j illustrate} and {@code t4j report} from FreeMarker templates
 * ({@code .ftlh}: every value HTML-escaped unless a template says otherwise). A page carries everything it needs
 * inline (its data as JSON, our script and style sheet, and ECharts from its webjar), so it opens from disk with no
 * network.
 */
public final class Pages {

    /** ECharts' minified build, from the org.webjars.npm:echarts jar (the version is that of the pom). */
    static final String ECHARTS = "/META-INF/resources/webjars/echarts/5.3.1/dist/echarts.min.js";
    private static final String HERE = "/org/transformer4j/cli/pages/";

    private static final Configuration FREEMARKER = configuration();

    private Pages() {
    }

    private static Configuration configuration() {
        Configuration c = new Configuration(Configuration.VERSION_2_3_32);
        c.setClassLoaderForTemplateLoading(Pages.class.getClassLoader(), HERE.substring(1));
        c.setDefaultEncoding("UTF-8");
        c.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
        c.setLogTemplateExceptions(false);
        c.setWrapUncheckedExceptions(true);
        return c;
    }

    /**
     * Renders {@code template} with {@code model} plus the shared parts: {@code css}, {@code echarts}, {@code script}
     * (the file {@code <name>.js} beside the template) and {@code data} (the JSON, safe inside a script element).
     */
    static String render(String name, Map<String, Object> model, JsonNode data) {
        Map<String, Object> m = new HashMap<>(model);
        m.put("css", resource(HERE + "pages.css"));
        m.put("common", resource(HERE + "common.js"));
        m.put("script", resource(HERE + name + ".js"));
        m.put("echarts", resource(ECHARTS).replace("</script", "<\\/script"));
        m.put("data", scriptJson(data));
        try {
            StringWriter out = new StringWriter();
            FREEMARKER.getTemplate(name + ".ftlh").process(m, out);
            return out.toString();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the page template " + name + ": " + e.getMessage(), e);
        } catch (TemplateException e) {
            throw new IllegalStateException("the page template " + name + " failed: " + e.getMessage(), e);
        }
    }

    /** JSON that can stand inside {@code <script type="application/json">}: no "</" can end the element early. */
    static String scriptJson(JsonNode data) {
        return data.toString().replace("</", "<\\/").replace("<!--", "<\\!--");
    }

    static String resource(String path) {
        try (InputStream in = Pages.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + path + " (a broken build?)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
